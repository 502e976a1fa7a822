package api

import (
	"crypto/rand"
	"errors"
	"strings"
	"sync"
)

// maxUsers bounds the number of Users kept in memory.
const maxUsers = 100_000

// user is a stored User. It is a value: readers get a copy.
type user struct {
	id, email, passwordHash string
}

// store keeps Users in memory, indexed by id and by email. It is safe for
// concurrent use.
type store struct {
	mu     sync.RWMutex
	ids    map[string]user
	emails map[string]string // email -> id
}

func newStore() *store {
	return &store{ids: make(map[string]user), emails: make(map[string]string)}
}

// create stores a new User, unless one has the email already.
func (s *store) create(email, passwordHash string) (user, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.emails[email]; ok {
		return user{}, errEmailTaken
	}
	if len(s.ids) >= maxUsers {
		return user{}, errors.New("too many users")
	}
	u := user{id: newID(), email: email, passwordHash: passwordHash}
	s.ids[u.id] = u
	s.emails[email] = u.id
	return u, nil
}

func (s *store) byID(id string) (user, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.ids[id]
	return u, ok
}

func (s *store) byEmail(email string) (user, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.ids[s.emails[email]]
	return u, ok
}

// newID returns a random id shaped like Graphcool's: "c" and 24 lower-case
// letters and digits.
func newID() string {
	return "c" + strings.ToLower(rand.Text()[:24])
}
